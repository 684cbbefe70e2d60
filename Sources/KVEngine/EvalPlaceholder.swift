// Placeholder so branch `eval` builds before the engine lands on main.
// Delete when `git merge main` brings the real KVEngine sources.
enum KVEngineEvalPlaceholder {}
