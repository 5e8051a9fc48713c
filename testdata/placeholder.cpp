// placeholder until the generators land
