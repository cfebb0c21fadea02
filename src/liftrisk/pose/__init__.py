"""liftrisk.pose"""
