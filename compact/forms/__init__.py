"""Forms of the core app: sign-in, codes of practice, meetings."""
