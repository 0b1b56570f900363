"""weighing"""
