"""Commands: orchestration only, each reads as acquire -> compute -> emit."""
