// symdex serve: scripts only enhance. Every page works without this file; it reads no package string.
// '/' focuses the search box, as on code-search sites.
document.addEventListener('keydown', function (e) {
  var q = document.getElementById('q');
  if (e.key === '/' && q && document.activeElement !== q) {
    e.preventDefault();
    q.focus();
    q.select();
  }
});
