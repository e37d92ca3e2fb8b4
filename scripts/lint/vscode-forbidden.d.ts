// tsconfig.core.json resolves the module 'vscode' to this file. It declares nothing and is not a
// module, so any import of 'vscode' from src/core (type-only ones too) fails the core type check
// with "is not a module": the engine must not see the VS Code API even at the type level.
