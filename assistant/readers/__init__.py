"""Format readers: each turns one kind of file into the raw pieces assistant.assemble types."""
