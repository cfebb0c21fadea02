"""liftrisk.web"""
