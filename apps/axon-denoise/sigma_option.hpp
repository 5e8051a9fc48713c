#pragma once
// --sigma, shared by the subcommands that take a noise level: "auto" (the
// subcommand estimates it: nullopt) or a finite number >= 0. Zero is a
// valid statement ("no noise") and every denoiser returns its input for
// it, as it does when an estimate comes out 0.
#include <optional>
#include <string>

std::optional<double> parse_sigma_option(const std::string& text);
