# Save-RunFile: run files saved under a destination folder, verified, never partial under their names; both sources.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:files = Join-Path (Get-Item (Join-Path $wandb 'run-*-fin0001a')).FullName 'files'
    $null = New-Item -ItemType Directory -Path (Join-Path $files 'media/images'), (Join-Path $files 'code') -Force
    [System.IO.File]::WriteAllBytes((Join-Path $files 'media/images/sample_0.png'), [byte[]](0..255) * 4096)
    Set-Content -LiteralPath (Join-Path $files 'code/train.py') -Value "print('hello')" -NoNewline
    Set-Content -LiteralPath (Join-Path $files 'requirements.txt') -Value "torch==2.3.0`nnumpy" -NoNewline

    $script:server = Start-FakeWandb -WandbFolder $wandb -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:api = @{ Project = 'acme-ml/mnist-sweep'; BaseUrl = $server.Url; ApiKey = $server.Key }

    function Add-FileFault([hashtable] $Fault) {
        $Fault.files = $true
        $null = Invoke-RestMethod -Method Post -Uri "$($server.Url)/_fake/faults" -ContentType 'application/json' -Body ($Fault | ConvertTo-Json)
    }

    function Get-Tree([string] $Root) {
        Get-ChildItem -LiteralPath $Root -Recurse -File -Force | ForEach-Object { $_.FullName.Substring($Root.Length + 1).Replace('\', '/') } | Sort-Object
    }
}

AfterAll {
    if ($server) { Stop-FakeWandb -Server $server }
}

Describe 'Save-RunFile' {
    Context 'from local run folders' {
        It 'copies every file of the run, keeping its path, and emits FileInfo objects' {
            $dest = Join-Path $TestDrive 'local'
            $out = @(Get-WandbRun -Path $wandb -Id fin0001a | Save-RunFile -Destination $dest)
            $out | ForEach-Object { $_ | Should -BeOfType 'System.IO.FileInfo' }
            (Get-Tree $dest) -join ',' | Should -BeExactly 'code/train.py,config.yaml,media/images/sample_0.png,requirements.txt,wandb-metadata.json,wandb-summary.json'
            (Get-FileHash (Join-Path $dest 'media/images/sample_0.png')).Hash | Should -BeExactly (Get-FileHash (Join-Path $files 'media/images/sample_0.png')).Hash
            ($out | Out-String -Width 120) | Should -Match 'sample_0\.png'
        }

        It 'resolves a relative -Destination against the current location' {
            Push-Location $TestDrive
            try {
                $null = Get-RunFile -Path $wandb -Id fin0001a -Name requirements.txt | Save-RunFile -Destination ./relative
            }
            finally {
                Pop-Location
            }

            Get-Content -Raw -LiteralPath (Join-Path $TestDrive 'relative/requirements.txt') | Should -BeExactly "torch==2.3.0`nnumpy"
        }

        It 'skips files that already match (same size and MD5), says so with -Verbose, and still emits them' {
            $dest = Join-Path $TestDrive 'local'
            $image = Join-Path $dest 'media/images/sample_0.png'
            (Get-Item $image).LastWriteTimeUtc = [datetime]'2001-01-01Z'
            $verbose = Save-RunFile -Path $wandb -Id fin0001a -Destination $dest -Verbose 4>&1
            @($verbose | Where-Object { $_ -is [System.IO.FileInfo] }).Count | Should -Be 6
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n" | Should -Match 'sample_0\.png.*same size and MD5'
            (Get-Item $image).LastWriteTimeUtc.Year | Should -Be 2001
        }

        It 'leaves a different file alone without -Force (WandbInvalidArgument for that file) and replaces it with -Force' {
            $dest = Join-Path $TestDrive 'force'
            $null = New-Item -ItemType Directory -Path $dest
            Set-Content -LiteralPath (Join-Path $dest 'requirements.txt') -Value 'mine'
            $out = Save-RunFile -Path $wandb -Id fin0001a -Name requirements.txt, code/* -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue
            $out.Name | Should -Be 'train.py'
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
            $err[0].TargetObject | Should -BeExactly (Join-Path $dest 'requirements.txt')
            (Get-Content -Raw (Join-Path $dest 'requirements.txt')).Trim() | Should -BeExactly 'mine'

            $null = Save-RunFile -Path $wandb -Id fin0001a -Name requirements.txt -Destination $dest -Force
            Get-Content -Raw (Join-Path $dest 'requirements.txt') | Should -BeExactly "torch==2.3.0`nnumpy"
        }

        It 'writes nothing with -WhatIf' {
            $dest = Join-Path $TestDrive 'whatif'
            $out = Save-RunFile -Path $wandb -Id fin0001a -Destination $dest -WhatIf
            $out | Should -BeNullOrEmpty
            Test-Path $dest | Should -BeFalse
        }

        It 'refuses a second run''s file of the same name rather than overwrite the first' {
            $dest = Join-Path $TestDrive 'two'
            $out = Get-WandbRun -Path $wandb -Id fin0001a, fin0002b | Save-RunFile -Name config.yaml -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue
            @($out).Count | Should -Be 1
            "$err" | Should -Match "run 'fin0001a' has a file of that name"
        }

        It 'saves several runs, each to its own folder, with ForEach-Object' {
            $dest = Join-Path $TestDrive 'each'
            $null = Get-WandbRun -Path $wandb -Id fin0001a, fin0002b | ForEach-Object { $_ | Save-RunFile -Name config.yaml -Destination (Join-Path $dest $_.Id) }
            (Get-Tree $dest) -join ',' | Should -BeExactly 'fin0001a/config.yaml,fin0002b/config.yaml'
        }

        It 'refuses a -Destination that is a file, before reading anything' {
            $file = Join-Path $TestDrive 'a-file.txt'
            Set-Content -LiteralPath $file -Value x
            { Save-RunFile -Path $wandb -Id fin0001a -Destination $file -ErrorAction Stop } | Should -Throw -ErrorId 'WandbInvalidArgument,WandbRunOps.Commands.SaveRunFileCommand'
        }
    }

    Context 'over the W&B API (direct URLs the loopback server serves itself)' {
        It 'downloads identical bytes to what a local copy gives' {
            $dest = Join-Path $TestDrive 'api'
            $out = @(Get-RunFile @api -Id fin0001a | Save-RunFile -Destination $dest)
            $out.Count | Should -Be 6
            foreach ($name in Get-Tree $dest) {
                (Get-FileHash (Join-Path $dest $name)).Hash | Should -BeExactly (Get-FileHash (Join-Path $files $name)).Hash -Because $name
            }
        }

        It 'gives a direct URL answering <Status> as that file''s <Id>, leaves nothing of it, and saves the rest' -TestCases @(
            @{ Status = 403; Id = 'WandbPermissionDenied' }
            @{ Status = 404; Id = 'WandbPathNotFound' }
            @{ Status = 500; Id = 'WandbConnectionFailed' }
        ) {
            $dest = Join-Path $TestDrive "status$Status"
            Add-FileFault @{ kind = 'status'; status = $Status; body = '<Error/>'; contentType = 'application/xml'; times = 10; variablesContain = 'sample_0.png' }
            $out = Save-RunFile @api -Id fin0001a -Destination $dest -MaximumRetryCount 2 -RetryIntervalSec 0.01 -ErrorVariable err -ErrorAction SilentlyContinue
            $null = Invoke-RestMethod -Method Delete -Uri "$($server.Url)/_fake/faults"
            @($out).Count | Should -Be 5
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $err[0].TargetObject | Should -BeExactly 'acme-ml/mnist-sweep/fin0001a/media/images/sample_0.png'
            (Get-Tree $dest) | Should -Not -Contain 'media/images/sample_0.png'
            (Get-Tree $dest) -match '\.partial$' | Should -BeNullOrEmpty
        }

        It 'gives a body shorter than the file as WandbDigestMismatch and leaves nothing under its name' {
            $dest = Join-Path $TestDrive 'short'
            Add-FileFault @{ kind = 'truncated-json'; times = 1; variablesContain = 'sample_0.png' }
            $null = Save-RunFile @api -Id fin0001a -Name media/* -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbDigestMismatch,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            @(Get-ChildItem -LiteralPath $dest -Recurse -File -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
        }

        It 'retries a body cut off mid-way and saves the whole file' {
            $dest = Join-Path $TestDrive 'cut'
            Add-FileFault @{ kind = 'truncated'; times = 1; variablesContain = 'sample_0.png' }
            $null = Save-RunFile @api -Id fin0001a -Name media/* -Destination $dest -RetryIntervalSec 0.01
            (Get-FileHash (Join-Path $dest 'media/images/sample_0.png')).Hash | Should -BeExactly (Get-FileHash (Join-Path $files 'media/images/sample_0.png')).Hash
        }

        It 'removes the temporary file when stopped mid-download (Ctrl+C), and leaves nothing under the name' {
            $dest = Join-Path $TestDrive 'stopped'
            Add-FileFault @{ kind = 'stalled-body'; delayMs = 5000; times = 1; variablesContain = 'sample_0.png' }
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$WandbRunOpsManifest'; Save-RunFile -Project acme-ml/mnist-sweep -BaseUrl '$($server.Url)' -ApiKey (ConvertTo-SecureString '$($server.ApiKey)' -AsPlainText -Force) -Id fin0001a -Name media/* -Destination '$dest'")
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Get-ChildItem -LiteralPath $dest -Recurse -File -Force -Filter '*.partial' -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Get-ChildItem -LiteralPath $dest -Recurse -File -Force -Filter '*.partial' | Should -Not -BeNullOrEmpty
            $ps.Stop()
            $ps.Dispose()
            $deadline = [DateTime]::UtcNow.AddSeconds(5)
            while ((Get-ChildItem -LiteralPath $dest -Recurse -File -Force) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            @(Get-ChildItem -LiteralPath $dest -Recurse -File -Force) | Should -HaveCount 0
        }
    }
}
