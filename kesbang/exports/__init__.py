"""What the dashboard hands out as files: table exports, the submission template, original uploads."""
