#include "event_output.hpp"

#include <cstdint>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_text.hpp"
#include "pcwq_genl.h"

namespace wqctl {
namespace {

using Json = nlohmann::ordered_json;

/// The name an event is shown by and that of its count, for the types this wqctl knows.
struct EventNames {
  const char* event;
  const char* count;
};

EventNames names_of(std::uint32_t type) {
  switch (type) {
    case PCWQ_EVENT_RESCUE:
      return {.event = "rescue", .count = "rescued"};
    case PCWQ_EVENT_STALL:
      return {.event = "stall", .count = "waiting"};
    case PCWQ_EVENT_OVERRUN:
      return {.event = "overrun", .count = "count"};
    default:
      return {.event = nullptr, .count = "count"};
  }
}

/// An attribute of an event as shown: its name and value.
struct EventField {
  const char* name;
  Json value;  ///< a string or a number
};

/// The attributes the module sent, in the order they are shown.
std::vector<EventField> fields_of(const Event& event, const char* count_name) {
  std::vector<EventField> fields;
  if (event.queue) {
    fields.push_back({"queue", *event.queue});
  }
  if (event.func) {
    fields.push_back({"func", *event.func});
  }
  if (event.run_ms) {
    fields.push_back({"run_ms", *event.run_ms});
  }
  if (event.cpu) {
    fields.push_back({"cpu", *event.cpu});
  }
  if (event.highpri) {
    fields.push_back({"highpri", *event.highpri != 0});
  }
  if (event.count) {
    fields.push_back({count_name, *event.count});
  }
  if (event.stalled_ms) {
    fields.push_back({"stalled_ms", *event.stalled_ms});
  }
  return fields;
}

std::string event_text(const Event& event) {
  const EventNames names = names_of(event.type);
  std::string text =
      names.event != nullptr ? names.event : "event type=" + std::to_string(event.type);
  for (const auto& [name, value] : fields_of(event, names.count)) {
    // Strings as they are: a queue name is shown without quotes or escapes.
    text += std::string(" ") + name + "=" +
            (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return text + "\n";
}

Json event_json(const Event& event) {
  const EventNames names = names_of(event.type);
  Json object;
  if (names.event != nullptr) {
    object["event"] = names.event;
  } else {
    object["event"] = "unknown";
    object["type"] = event.type;
  }
  for (auto& [name, value] : fields_of(event, names.count)) {
    object[name] = std::move(value);
  }
  return object;
}

}  // namespace

std::string render_event(const Event& event, Format format) {
  if (format != Format::text) {
    return json_text(event_json(event), format);
  }
  return event_text(event);
}

std::string render_events_lost(const EventTally& missed, Format format) {
  if (format != Format::text) {
    return json_text({{"event", "lost"},
                      {"stalls", missed.stalls},
                      {"rescued", missed.rescued},
                      {"overruns", missed.overruns}},
                     format);
  }
  return "# events lost: socket buffer overflow; not reported: " + std::to_string(missed.stalls) +
         " stall(s), up to " + std::to_string(missed.rescued) + " rescued item(s), " +
         std::to_string(missed.overruns) + " overrun(s)\n";
}

}  // namespace wqctl
