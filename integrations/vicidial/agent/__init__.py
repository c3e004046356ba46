"""The agent API (agc/api.php)."""
