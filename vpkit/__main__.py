from vpkit.commands.cli import main

main()
