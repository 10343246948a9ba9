"""Engine: pure rule code over frames; no I/O."""
