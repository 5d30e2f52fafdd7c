"""Photo albums of sessions: uploads checked and re-encoded with Pillow, staff curation, what
the public may see, the staff's zip, and the participants' consent to photos."""
