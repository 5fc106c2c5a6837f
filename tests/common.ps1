# Shared set-up for the Pester tests. Each *.Tests.ps1 dot-sources this file in its BeforeAll:
#
#     BeforeAll {
#         . $PSScriptRoot/common.ps1
#         $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
#     }
#
# It imports the module the way a user does, from the built module folder (out/WandbRunOps), and writes fresh
# sample runs with the project's own sample writer (tests/WandbRunOps.Testing). Get-PowerShellCommand
# (tools/PowerShellProcess.ps1) starts this same PowerShell in a new process. Start-FakeWandb and Stop-FakeWandb
# serve those runs over the W&B API from the project's loopback server (tests/WandbRunOps.FakeWandb). Works on
# PowerShell 7.4+ and Windows PowerShell 5.1.

$WandbRunOpsRepoRoot = Split-Path -Parent $PSScriptRoot
$WandbRunOpsManifest = Join-Path (Join-Path (Join-Path $WandbRunOpsRepoRoot 'out') 'WandbRunOps') 'WandbRunOps.psd1'
. (Join-Path (Join-Path $WandbRunOpsRepoRoot 'tools') 'PowerShellProcess.ps1')

if (-not (Test-Path -LiteralPath $WandbRunOpsManifest -PathType Leaf)) {
    throw "The WandbRunOps module is not built: '$WandbRunOpsManifest' is missing. Run 'dotnet build -c Release' in '$WandbRunOpsRepoRoot' first, then run the tests again."
}

Import-Module -Name $WandbRunOpsManifest -ErrorAction Stop

function New-SampleRuns {
    <#
    .SYNOPSIS
    Writes a fresh copy of the sample runs under -Path and returns the path of the wandb folder it wrote.

    .DESCRIPTION
    Runs the sample writer with --now, so every sample time is relative to the current UTC second: live006f was
    active just now (it reads as Running for the next few minutes) and "created 6 days ago" holds for fin0001a.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $wandbFolder = Join-Path $Path 'wandb'
    $writerProject = Join-Path (Join-Path $WandbRunOpsRepoRoot 'tests') 'WandbRunOps.Testing'
    $writerOutput = & dotnet run --project $writerProject -c Release -- write-samples $wandbFolder --now
    if ($LASTEXITCODE -ne 0) {
        throw ("Writing the sample runs failed: 'dotnet run --project $writerProject -c Release -- write-samples $wandbFolder --now' exited with code $LASTEXITCODE.`n" + ($writerOutput -join "`n"))
    }

    if (-not (Test-Path -LiteralPath $wandbFolder -PathType Container)) {
        throw "The sample writer reported success but '$wandbFolder' does not exist."
    }

    $wandbFolder
}

function New-ArtifactRun {
    <#
    .SYNOPSIS
    Writes run artf009i (an offline run whose logged artifacts' files the SDK staged outside the run folder) into the
    wandb folder -WandbFolder, and its staged files under -StagingPath; returns the run folder's path.

    .DESCRIPTION
    Artifact weights (model; aliases latest, production): weights/model.bin, config.json, labels/classes.txt, each
    with its local_path under -StagingPath, and the reference entry data/train.csv (s3://acme-datasets/mnist/train.csv).
    Artifact tampered (dataset): ok.txt, and ../outside.txt and /etc/wandbrunops-absolute.txt, whose paths leave any
    destination. See tests/WandbRunOps.Testing/ArtifactRunSet.cs.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $WandbFolder,

        [Parameter(Mandatory = $true)]
        [string] $StagingPath
    )

    $writerProject = Join-Path (Join-Path $WandbRunOpsRepoRoot 'tests') 'WandbRunOps.Testing'
    $writerOutput = & dotnet run --project $writerProject -c Release -- write-artifact-run $WandbFolder $StagingPath
    if ($LASTEXITCODE -ne 0) {
        throw ("Writing the artifact run failed (exit code $LASTEXITCODE).`n" + ($writerOutput -join "`n"))
    }

    @($writerOutput)[-1]
}

function Start-FakeWandb {
    <#
    .SYNOPSIS
    Starts the project's loopback W&B server (tests/WandbRunOps.FakeWandb) serving a wandb folder as one project, and
    returns once it listens.

    .DESCRIPTION
    Runs 'dotnet run --project tests/WandbRunOps.FakeWandb -c Release -- --port 0 --data <WandbFolder> --entity
    <Entity> --project <Project> --api-key <ApiKey>' in its own process, with its output in -LogPath, and waits (up
    to -TimeoutSec) for its "Listening on http://127.0.0.1:NNNNN" line. The server listens on 127.0.0.1 only and
    reads the runs once, when it starts. Stop it with Stop-FakeWandb, in an AfterAll:

        BeforeAll { $script:server = Start-FakeWandb -WandbFolder $wandb -LogPath (Join-Path $TestDrive 'fakewandb.log') }
        AfterAll { Stop-FakeWandb -Server $server }

    -ArtifactAlias 'model:best=production' gives a logged artifact version one more alias on the server (the deploy
    gate runbook's model:production is fin0002b's model, whose files download and verify).

    The returned object has Url (the base URL for -BaseUrl), ApiKey (the key as text), Key (the same key as a
    SecureString, for -ApiKey), Entity, Project, LogPath and Process.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $WandbFolder,

        [string] $Entity = 'acme-ml',

        [string] $Project = 'mnist-sweep',

        # The key the server accepts; any text will do (default: a fresh one per server).
        [string] $ApiKey = ('local-pester' + [guid]::NewGuid().ToString('N')),

        # Where the server's output goes (default: a new file in the temp folder, removed by Stop-FakeWandb).
        [string] $LogPath,

        # Aliases given on the server to logged artifact versions, as a user promotes a version in W&B's UI after the
        # sync: 'name:alias=new-alias' (e.g. 'model:best=production' gives fin0002b's model the alias production).
        [string[]] $ArtifactAlias = @(),

        [int] $TimeoutSec = 120
    )

    $ownsLog = -not $LogPath
    if ($ownsLog) {
        $LogPath = Join-Path ([System.IO.Path]::GetTempPath()) ('fakewandb-' + [guid]::NewGuid().ToString('N') + '.log')
    }

    $serverProject = Join-Path (Join-Path $WandbRunOpsRepoRoot 'tests') 'WandbRunOps.FakeWandb'
    $arguments = @('run', '--project', $serverProject, '-c', 'Release', '--', '--port', '0', '--data', $WandbFolder,
        '--entity', $Entity, '--project', $Project, '--api-key', $ApiKey) + @($ArtifactAlias | ForEach-Object { '--artifact-alias', $_ })
    # Start-Process joins its arguments with spaces and quotes none of them, so quote the ones that need it.
    $quoted = foreach ($argument in $arguments) {
        if ($argument -match '[\s"]') { '"' + ($argument -replace '"', '\"') + '"' } else { $argument }
    }
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $quoted -RedirectStandardOutput $LogPath -PassThru -NoNewWindow

    $deadline = (Get-Date).AddSeconds($TimeoutSec)
    $url = $null
    while (-not $url -and (Get-Date) -lt $deadline) {
        Start-Sleep -Milliseconds 250
        if (Test-Path -LiteralPath $LogPath) {
            $match = Select-String -LiteralPath $LogPath -Pattern 'Listening on (http://127\.0\.0\.1:\d+)' | Select-Object -First 1
            if ($match) { $url = $match.Matches[0].Groups[1].Value }
        }
        if (-not $url -and $process.HasExited) { break }
    }

    if (-not $url) {
        $log = if (Test-Path -LiteralPath $LogPath) { Get-Content -LiteralPath $LogPath -Raw } else { '(no output)' }
        $why = if ($process.HasExited) { "exited with code $($process.ExitCode) before it listened" } else { "did not listen within $TimeoutSec s" }
        if (-not $process.HasExited) { Stop-FakeWandbProcess -Process $process }
        if ($ownsLog) { Remove-Item -LiteralPath $LogPath -Force -ErrorAction SilentlyContinue }
        throw "The loopback W&B server (dotnet run --project $serverProject) $why. Its standard output (its errors went to the console): $log"
    }

    $key = New-Object System.Security.SecureString
    foreach ($c in $ApiKey.ToCharArray()) { $key.AppendChar($c) }

    [pscustomobject]@{
        PSTypeName = 'WandbRunOps.Tests.FakeWandb'
        Url        = $url
        ApiKey     = $ApiKey
        Key        = $key
        Entity     = $Entity
        Project    = $Project
        LogPath    = $LogPath
        Process    = $process
        OwnsLog    = $ownsLog
    }
}

function Stop-FakeWandb {
    <#
    .SYNOPSIS
    Stops a server that Start-FakeWandb started (the 'dotnet run' process and the server it runs), if it still runs.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, ValueFromPipeline = $true)]
        [AllowNull()]
        [object] $Server
    )

    process {
        if ($null -eq $Server) { return }
        if ($Server.Process -and -not $Server.Process.HasExited) {
            Stop-FakeWandbProcess -Process $Server.Process
        }
        if ($Server.OwnsLog -and (Test-Path -LiteralPath $Server.LogPath)) {
            Remove-Item -LiteralPath $Server.LogPath -Force -ErrorAction SilentlyContinue
        }
    }
}

function Stop-FakeWandbProcess {
    # 'dotnet run' starts the server as a child process; stop both, so that no server keeps the build output or the
    # log file open (on Windows that would block the next build and the removal of TestDrive).
    param([Parameter(Mandatory = $true)] [System.Diagnostics.Process] $Process)

    if ($PSVersionTable.PSEdition -eq 'Core') {
        try { $Process.Kill($true) } catch { Stop-Process -Id $Process.Id -Force -ErrorAction SilentlyContinue }
    }
    else {
        # Windows PowerShell runs on .NET Framework, whose Process.Kill() stops only the one process: taskkill /T
        # stops the tree. Started through .NET, so that its stderr never becomes a PowerShell error record.
        $info = New-Object System.Diagnostics.ProcessStartInfo
        $info.FileName = 'taskkill.exe'
        $info.Arguments = '/PID {0} /T /F' -f $Process.Id
        $info.UseShellExecute = $false
        $info.CreateNoWindow = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        try {
            $taskkill = [System.Diagnostics.Process]::Start($info)
            $null = $taskkill.StandardOutput.ReadToEnd()
            $null = $taskkill.StandardError.ReadToEnd()
            $taskkill.WaitForExit()
        }
        catch {
            Write-Verbose "taskkill failed: $_"
        }
        if (-not $Process.HasExited) { Stop-Process -Id $Process.Id -Force -ErrorAction SilentlyContinue }
    }
    $null = $Process.WaitForExit(10000)
}

# The real SDK-written run folders (read-only), beside the clone; $null where absent (tests then skip, saying why).
$WandbRealFixtures = Join-Path (Split-Path -Parent $WandbRunOpsRepoRoot) (Join-Path 'shared' (Join-Path 'fixtures' 'wandb-real'))
if (-not (Test-Path -LiteralPath $WandbRealFixtures -PathType Container)) { $WandbRealFixtures = $null }

function Get-RealFixture {
    <#
    .SYNOPSIS
    The wandb folder of one real fixture set (e.g. 'sdk-0.22.1-online'), or $null when ../shared is absent.
    #>
    param([Parameter(Mandatory = $true)] [string] $Set)
    if ($null -eq $WandbRealFixtures) { return $null }
    Join-Path (Join-Path $WandbRealFixtures $Set) 'wandb'
}

function Skip-WithoutRealFixtures {
    <#
    .SYNOPSIS
    Marks the current It as skipped, with the reason, when the real fixtures are absent; returns $true then.
    #>
    if ($null -ne $WandbRealFixtures) { return $false }
    Set-ItResult -Skipped -Because "the real SDK run folders (../shared/fixtures/wandb-real beside the clone) are absent"
    $true
}

function Out-UserText {
    <#
    .SYNOPSIS
    The text a user sees for -InputObject: its default view (-As Default), Format-Table or Format-List, at -Width columns.
    #>
    param(
        [Parameter(Mandatory = $true)] [AllowEmptyCollection()] [object[]] $InputObject,
        [int] $Width = 120,
        [ValidateSet('Default', 'Table', 'List')] [string] $As = 'Default'
    )

    switch ($As) {
        'Table' { $InputObject | Format-Table | Out-String -Width $Width }
        'List' { $InputObject | Format-List | Out-String -Width $Width }
        default { $InputObject | Out-String -Width $Width }
    }
}

function Assert-NoTypeName {
    <#
    .SYNOPSIS
    Fails when text a user sees holds a .NET type name (System.Object[], System.String[], a WandbRunOps type, a
    key/value pair's [key, value] text) instead of the value.
    #>
    param([Parameter(Mandatory = $true)] [AllowEmptyString()] [string] $Text)
    # Case-sensitive: a type name starts with 'System.'; W&B's system metrics ('system.cpu') are values, not type names.
    $Text | Should -Not -MatchExactly 'System\.[A-Z][A-Za-z]+(\[\])?'
    $Text | Should -Not -Match 'WandbRunOps\.[A-Z]'
    $Text | Should -Not -Match '\{\[[^\]]+, '
}
