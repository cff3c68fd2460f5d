"""Views of the plan chain, one module per page family."""
