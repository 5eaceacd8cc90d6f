#include <stdio.h>
int mal_one(void) { return puts("one"); }
int mal_two(void) { return 2; }
int mal_three(void) { return 3; }
