from deepfit_coach.cli import main

main()
