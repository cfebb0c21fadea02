"""liftrisk.store"""
