// Public API of this package: see README.md for what belongs here.
export {}
