"""liftrisk.kinematics"""
