"""liftrisk.imu"""
