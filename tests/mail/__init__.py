"""Mail: sent after commit, in process or through the Redis queue."""
