// The "top" command: a per-CPU view of the pools, refreshed every interval.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "queue_proto.hpp"
#include "session.hpp"

namespace wqctl {

/// Arguments of "top", as parsed.
struct TopArgs {
  std::optional<std::uint32_t> interval;    ///< seconds between frames, 1 to 3600; default 1
  std::optional<std::uint32_t> iterations;  ///< stop after this many frames; 0: never
};

/// How "top" runs, its arguments checked.
struct TopRun {
  std::chrono::milliseconds interval{1000};  ///< between samples
  std::uint32_t frames = 0;                  ///< stop after this many; 0: never
  bool interactive = false;                  ///< each frame on a cleared screen; 'q' on stdin quits
};

/// Samples the statistics with read_stats, then every interval samples them again and prints
/// the frame computed from that sample and the one before it, until run.frames are printed,
/// 'q' is typed or SIGINT or SIGTERM comes.  Frames that are not interactive follow one
/// another: JSON one per line, text set apart by a blank line.  The terminal is restored on
/// every way out.
void run_top(Session& session, const std::function<Stats()>& read_stats, const TopRun& run);

/// Adds the command to app; it parses into args, which must outlive app.
void add_top_command(CLI::App& app, const AddCommand& add_command, TopArgs& args);

}  // namespace wqctl
