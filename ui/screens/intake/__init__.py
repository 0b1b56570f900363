"""The intake screens: the guided step-by-step form, the trucks on site and the lab results entry."""
