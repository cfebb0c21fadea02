"""liftrisk.processing"""
