"""deepfit-coach: a voice-guided personal trainer for the terminal."""

__version__ = "0.1.0"
