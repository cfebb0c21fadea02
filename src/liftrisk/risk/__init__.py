"""liftrisk.risk"""
