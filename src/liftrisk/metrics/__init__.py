"""liftrisk.metrics"""
