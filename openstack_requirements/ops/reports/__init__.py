"""Reports over the governed packages and the projects that use them."""
