"""liftrisk.predict"""
