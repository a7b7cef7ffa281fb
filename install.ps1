# Installs dollama on Windows from a GitHub release, without administrator rights:
#
#   irm https://github.com/dollama/dollama/releases/latest/download/install.ps1 | iex
#   $env:DOLLAMA_VERSION = 'v0.2.0'; irm https://github.com/dollama/dollama/releases/latest/download/install.ps1 | iex
#
# or saved as a file (the default execution policy refuses to run a downloaded script, hence the
# bypass for this one run):
#
#   powershell -ExecutionPolicy Bypass -File .\install.ps1 -Version v0.2.0 -Dir C:\tools\bin
#
# It downloads the x86_64 Windows build (also used on ARM64 Windows, under x64 emulation),
# checks its SHA-256 against the release's SHA256SUMS, and moves dollama.exe into place in
# one step (into $env:DOLLAMA_INSTALL_DIR or $env:LOCALAPPDATA\Programs\dollama). Running it
# again reinstalls or switches versions. It does not change PATH; it prints how to.
#
# Environment (all optional): DOLLAMA_VERSION, DOLLAMA_INSTALL_DIR, DOLLAMA_DOWNLOAD_URL
# (releases base URL), DOLLAMA_OS and DOLLAMA_ARCH (instead of asking Windows).
#
# Under `irm | iex` this text runs in the caller's own scope, so everything happens inside one
# script block: its variables and preferences end with it, and a failure throws to the caller
# instead of `exit`ing the caller's script or window. Only when run as a file (the script block
# below then knows its file) does a failure end with exit code 1. Arguments are parsed by hand
# because a param() block here would set $Version and $Dir in the caller's scope.

& {
  param([string[]]$Arguments, [bool]$AsFile)

  $Version = $env:DOLLAMA_VERSION
  $Dir = $env:DOLLAMA_INSTALL_DIR
  $Help = $false
  for ($i = 0; $i -lt $Arguments.Count; $i++) {
    $Arg = [string]$Arguments[$i]
    if ($Arg -match '^-(Version|Dir):(.*)$') {
      if ($Matches[1] -eq 'Version') { $Version = $Matches[2] } else { $Dir = $Matches[2] }
    } elseif ($Arg -match '^-(Version|Dir)$') {
      if ($i + 1 -ge $Arguments.Count) {
        [Console]::Error.WriteLine("dollama install: error: $Arg needs a value")
        if ($AsFile) { exit 1 }
        throw "dollama install failed: $Arg needs a value"
      }
      $i++
      if ($Matches[1] -eq 'Version') { $Version = [string]$Arguments[$i] } else { $Dir = [string]$Arguments[$i] }
    } elseif ($Arg -match '^-(Help|h|\?)$') {
      $Help = $true
    } else {
      [Console]::Error.WriteLine("dollama install: error: unknown argument: $Arg (see -Help)")
      if ($AsFile) { exit 1 }
      throw "dollama install failed: unknown argument: $Arg"
    }
  }

  $ErrorActionPreference = 'Stop'
  $ProgressPreference = 'SilentlyContinue'   # Invoke-WebRequest is very slow with a progress bar

  $DefaultDownloadUrl = 'https://github.com/dollama/dollama/releases'

  function Fail([string]$Message) {
    [Console]::Error.WriteLine("dollama install: error: $Message")
    # `exit` under `irm | iex` would end the caller's script or close the window.
    if ($AsFile) { exit 1 }
    throw "dollama install failed: $Message"
  }

  if ($Help) {
    Write-Output @'
Install dollama, a standalone client for Ollama servers.

Usage: install.ps1 [-Version VERSION] [-Dir DIR]

  -Version VERSION   release to install, e.g. v0.2.0 (default: the newest)
  -Dir DIR           install directory (default: $env:DOLLAMA_INSTALL_DIR or
                     $env:LOCALAPPDATA\Programs\dollama)

Environment: DOLLAMA_VERSION, DOLLAMA_INSTALL_DIR, DOLLAMA_DOWNLOAD_URL,
DOLLAMA_OS and DOLLAMA_ARCH.
'@
    return
  }

  $Base = if ($env:DOLLAMA_DOWNLOAD_URL) { $env:DOLLAMA_DOWNLOAD_URL } else { $DefaultDownloadUrl }
  $Base = $Base.TrimEnd('/')

  if (-not $Version -or $Version -eq 'latest') {
    $Version = ''
  } elseif ($Version -match '^v?\d') {
    if ($Version -notmatch '^v') { $Version = "v$Version" }
  } else {
    Fail "invalid version: $Version (expected e.g. v0.2.0)"
  }

  # Platform: this script is for Windows; Linux and macOS have install.sh.
  $OsName = if ($env:DOLLAMA_OS) { $env:DOLLAMA_OS }
            elseif ([Environment]::OSVersion.Platform -eq 'Win32NT') { 'Windows' }
            else { [string][Environment]::OSVersion.Platform }
  if ($OsName -notmatch '^(Windows|Windows_NT|windows|MINGW.*|MSYS.*|CYGWIN.*)$') {
    Fail "install.ps1 is for Windows, not $OsName; on Linux and macOS run:
    curl -fsSL $Base/latest/download/install.sh | sh"
  }
  $ArchName = if ($env:DOLLAMA_ARCH) { $env:DOLLAMA_ARCH }
              elseif ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 }
              else { $env:PROCESSOR_ARCHITECTURE }
  switch -Regex ($ArchName) {
    '^(AMD64|x86_64|x64|amd64)$' { $Emulated = $false; break }
    '^(ARM64|arm64|aarch64)$' { $Emulated = $true; break }
    default { Fail "unsupported architecture: $ArchName on Windows (dollama has an x86_64 build, which also runs on ARM64)" }
  }
  $Target = 'x86_64-pc-windows-msvc'
  $Asset = "dollama-$Target.zip"

  if (-not $Dir) {
    if (-not $env:LOCALAPPDATA) { Fail 'LOCALAPPDATA is not set; choose a directory with -Dir DIR' }
    $Dir = Join-Path $env:LOCALAPPDATA 'Programs\dollama'
  }

  if ($Version) {
    $Url = "$Base/download/$Version"
    $What = "dollama $Version"
  } else {
    $Url = "$Base/latest/download"
    $What = 'the newest dollama'
  }

  # Windows PowerShell 5.1 may not offer TLS 1.2 by default.
  try {
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor
      [Net.SecurityProtocolType]::Tls12
  } catch {}

  function Get-File([string]$From, [string]$To, [string]$Hint) {
    try {
      Invoke-WebRequest -Uri $From -OutFile $To -UseBasicParsing
    } catch {
      Fail "could not download $From ($Hint): $($_.Exception.Message)"
    }
  }

  $Tmp = Join-Path ([IO.Path]::GetTempPath()) ("dollama-install-" + [Guid]::NewGuid().ToString('N'))
  New-Item -ItemType Directory -Path $Tmp | Out-Null
  $Staged = $null
  try {
    Write-Output "Downloading $What for $Target"
    if ($Emulated) { Write-Output "(ARM64 Windows runs the x86_64 build under emulation)" }
    $Sums = Join-Path $Tmp 'SHA256SUMS'
    $Archive = Join-Path $Tmp $Asset
    Get-File "$Url/SHA256SUMS" $Sums "is there a release $Version at $Base?"
    Get-File "$Url/$Asset" $Archive "does $(if ($Version) { $Version } else { 'the newest release' }) have a build for $Target?"

    $Expected = $null
    foreach ($Line in Get-Content -LiteralPath $Sums) {
      if ($Line -match '^([0-9a-fA-F]{64}) [ *](.+?)\s*$' -and $Matches[2] -eq $Asset) {
        $Expected = $Matches[1].ToLowerInvariant()
        break
      }
    }
    if (-not $Expected) { Fail "SHA256SUMS has no entry for $Asset; refusing to install an unverified download" }
    $Actual = (Get-FileHash -Algorithm SHA256 -LiteralPath $Archive).Hash.ToLowerInvariant()
    if ($Actual -ne $Expected) {
      Fail "checksum mismatch for ${Asset}: expected $Expected, got $Actual; nothing was installed"
    }

    $Unpacked = Join-Path $Tmp 'unpacked'
    try {
      Expand-Archive -LiteralPath $Archive -DestinationPath $Unpacked -Force
    } catch {
      Fail "could not unpack ${Asset}: $($_.Exception.Message)"
    }
    $Exe = Get-ChildItem -LiteralPath $Unpacked -Recurse -Filter 'dollama.exe' | Select-Object -First 1
    if (-not $Exe) { Fail "$Asset does not contain dollama.exe" }

    try {
      New-Item -ItemType Directory -Force -Path $Dir | Out-Null
      $Dir = (Resolve-Path -LiteralPath $Dir).ProviderPath
    } catch {
      Fail "cannot create ${Dir}: $($_.Exception.Message); choose another directory with -Dir DIR"
    }
    $Dest = Join-Path $Dir 'dollama.exe'
    $Old = "$Dest.old"

    # Copy next to the destination, then swap. A running dollama.exe cannot be overwritten but
    # can be renamed, so the old one moves aside first and comes back if the swap fails.
    $Staged = Join-Path $Dir ".dollama.install.$PID.exe"
    try {
      Copy-Item -LiteralPath $Exe.FullName -Destination $Staged -Force
    } catch {
      Fail "cannot write to ${Dir}: $($_.Exception.Message); choose a directory you own with -Dir DIR"
    }
    if (Test-Path -LiteralPath $Old) { Remove-Item -LiteralPath $Old -Force -ErrorAction SilentlyContinue }
    if (Test-Path -LiteralPath $Dest) {
      try {
        Move-Item -LiteralPath $Dest -Destination $Old -Force
      } catch {
        Fail "cannot replace ${Dest}: $($_.Exception.Message)"
      }
    }
    try {
      Move-Item -LiteralPath $Staged -Destination $Dest -Force
      $Staged = $null
    } catch {
      if (Test-Path -LiteralPath $Old) { Move-Item -LiteralPath $Old -Destination $Dest -Force }
      Fail "cannot move dollama.exe into ${Dir}: $($_.Exception.Message)"
    }
    if (Test-Path -LiteralPath $Old) { Remove-Item -LiteralPath $Old -Force -ErrorAction SilentlyContinue }

    Write-Output "Installed dollama to $Dest"
    # `dollama --version` also asks the Ollama server for its version: point it at a port where
    # nothing listens, so that it neither contacts the user's server nor waits for it, and show
    # its first line only. The caller's environment is put back afterwards (under `irm | iex` it is the user's session).
    $SavedHost = $env:OLLAMA_HOST
    $SavedNoProxy = $env:NO_PROXY
    try {
      $env:OLLAMA_HOST = '127.0.0.1:0'
      $env:NO_PROXY = '127.0.0.1'
      $ErrorActionPreference = 'Continue'   # stderr of a native program is not a failure here
      $Lines = @(& $Dest --version 2>$null)
      $Code = $LASTEXITCODE
      $Said = $Lines | Select-Object -First 1
    } catch {
      $Said = $null
      $Code = -1
    } finally {
      $env:OLLAMA_HOST = $SavedHost
      $env:NO_PROXY = $SavedNoProxy
      $ErrorActionPreference = 'Stop'
    }
    if ($Code -eq 0 -and $Said) {
      Write-Output $Said
    } else {
      [Console]::Error.WriteLine("dollama install: warning: $Dest was installed but does not run on this machine")
    }
    if ($Base -match '^https?://[^/]+/([^/]+/[^/]+)/releases$') {
      Write-Output "Verified $Asset against the release's SHA256SUMS. To check where it was built (GitHub CLI):"
      Write-Output "  gh attestation verify `"$Dest`" --repo $($Matches[1])"
    }

    $UserPath = [Environment]::GetEnvironmentVariable('Path', 'User')
    $OnPath = @(($env:Path + ';' + $UserPath) -split ';' | Where-Object { $_ -and ($_.TrimEnd('\') -ieq $Dir.TrimEnd('\')) }).Count -gt 0
    if (-not $OnPath) {
      # The user's Path is a REG_EXPAND_SZ value that may hold entries such as %USERPROFILE%\bin;
      # [Environment]::GetEnvironmentVariable would expand them and SetEnvironmentVariable would
      # store them expanded for good, so the advice reads and writes the raw registry value.
      Write-Output ''
      Write-Output "$Dir is not on your PATH. To add it for your user account, run:"
      Write-Output "  `$p = (Get-Item HKCU:\Environment).GetValue('Path', '', 'DoNotExpandEnvironmentNames')"
      Write-Output "  New-ItemProperty HKCU:\Environment -Name Path -PropertyType ExpandString -Force -Value ('$Dir;' + `$p)"
      Write-Output "then sign out and in (or open a new terminal from a fresh Explorer), or run it as $Dest"
    }
  } finally {
    if ($Staged -and (Test-Path -LiteralPath $Staged)) { Remove-Item -LiteralPath $Staged -Force -ErrorAction SilentlyContinue }
    Remove-Item -LiteralPath $Tmp -Recurse -Force -ErrorAction SilentlyContinue
  }

} $(if ({}.File) { , [string[]]$args } else { , [string[]]@() }) ([bool]{}.File)
