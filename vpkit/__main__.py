from vpkit.cli import main

main()
