"""The sync inbox screen: conflicts to review and changes the server refused."""
