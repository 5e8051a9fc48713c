// replaced by the generators
