"""Attendance: roll calls, self check-in and certificates."""
