"""The duplicates screen: scan for likely duplicate customers, compare them side by side, dismiss or merge."""
