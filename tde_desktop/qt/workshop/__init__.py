"""Running a workshop: the agenda, the kiosk, the projector and the facilitator's console."""
