"""liftrisk.batch"""
