"""Nomination by member cities: focal points, the nomination window and settings of a
programme, the places each city may fill, nominating and withdrawing."""
