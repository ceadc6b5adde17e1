"""Accounts: register, log in, log out, and the `flask users` command."""
