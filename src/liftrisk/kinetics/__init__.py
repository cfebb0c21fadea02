"""liftrisk.kinetics"""
