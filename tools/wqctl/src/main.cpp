#include <iostream>

#include "cli.hpp"

int main(int argc, char** argv) { return wqctl::run(argc, argv, std::cout, std::cerr); }
