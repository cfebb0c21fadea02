"""liftrisk.report"""
