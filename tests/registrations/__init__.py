"""Registrations: enrolment, the waiting list, questions, exports, messages, printables."""
