"""Home page and site-wide pages."""
