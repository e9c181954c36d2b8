"""Pure scoring logic: which board entries a result changes. No I/O here."""
