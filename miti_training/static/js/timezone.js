// Progressive enhancement: a time zone list left at its automatic choice takes the browser's
// zone. Without this file the server uses the usual zone of the member city's country.
document.addEventListener("DOMContentLoaded", () => {
  let browserZone;
  try {
    browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!browserZone) return;
  document.querySelectorAll("select[data-browser-zone]").forEach((select) => {
    // Only a list nobody has chosen in yet (the automatic choice has the empty value).
    if (select.value !== "") return;
    let aliases = {};
    try {
      aliases = JSON.parse(select.dataset.zoneAliases || "{}");
    } catch {
      // Without the map, the browser's zone is still tried as it is.
    }
    // Browsers may name a zone by an older alias (Asia/Calcutta for Asia/Kolkata).
    const zone = aliases[browserZone] || browserZone;
    if (Array.from(select.options).some((option) => option.value === zone)) {
      select.value = zone;
    }
  });
});
