// Placeholder: replaced by real sources.
