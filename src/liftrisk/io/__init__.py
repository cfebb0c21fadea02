"""liftrisk.io"""
