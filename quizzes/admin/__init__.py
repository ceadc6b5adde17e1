"""Administrators' pages."""
