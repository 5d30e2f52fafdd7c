"""Business rules. Services add and flush, never commit; the view commits once."""
