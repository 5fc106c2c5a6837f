# Save-WandbArtifact: an artifact version's files saved under a folder, each verified against its manifest digest,
# never partial under its name; from local run folders (the SDK's staged copies) and from the loopback server.
# The wandb folder holds the sample runs and artf009i (tests/WandbRunOps.Testing/ArtifactRunSet.cs): its artifact
# weights (aliases latest, production) has weights/model.bin, config.json and labels/classes.txt staged outside the
# run folder, and a reference entry data/train.csv -> s3://acme-datasets/mnist/train.csv; tampered has ok.txt and two
# entries whose paths leave the destination. The server serves the same runs, and gives fin0002b's model the alias
# production (-ArtifactAlias), as the deploy gate runbook uses it.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:staging = Join-Path $TestDrive 'staging'
    $null = New-ArtifactRun -WandbFolder $wandb -StagingPath $staging
    $script:server = Start-FakeWandb -WandbFolder $wandb -ArtifactAlias 'model:best=production' -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:api = @{ Project = 'acme-ml/mnist-sweep'; BaseUrl = $server.Url; ApiKey = $server.Key }
    $script:weights = 'config.json', 'labels/classes.txt', 'weights/model.bin'

    function Add-FileFault([hashtable] $Fault) {
        $Fault.files = $true
        $null = Invoke-RestMethod -Method Post -Uri "$($server.Url)/_fake/faults" -ContentType 'application/json' -Body ($Fault | ConvertTo-Json)
    }

    function Get-Tree([string] $Root) {
        Get-ChildItem -LiteralPath $Root -Recurse -File -Force -ErrorAction SilentlyContinue | ForEach-Object { $_.FullName.Substring($Root.Length + 1).Replace('\', '/') } | Sort-Object
    }

    function Get-StagedHash([string] $Path) {
        (Get-FileHash (Join-Path (Join-Path $staging 'weights') $Path)).Hash
    }
}

AfterAll {
    if ($server) { Stop-FakeWandb -Server $server }
}

Describe 'Save-WandbArtifact' {
    Context 'from local run folders (the SDK''s staged copies)' {
        It 'copies every stored file to its path, verified, emits FileInfo objects, and warns about the reference entry' {
            $dest = Join-Path $TestDrive 'local'
            $out = @(Get-WandbArtifact -Path $wandb -Name weights:production | Save-WandbArtifact -Destination $dest -WarningVariable warned -WarningAction SilentlyContinue)
            $out | ForEach-Object { $_ | Should -BeOfType 'System.IO.FileInfo' }
            @($out.Name | Sort-Object) | Should -Be @('classes.txt', 'config.json', 'model.bin')
            (Get-Tree $dest) -join ',' | Should -BeExactly ($weights -join ',')
            foreach ($name in $weights) {
                (Get-FileHash (Join-Path $dest $name)).Hash | Should -BeExactly (Get-StagedHash $name) -Because $name
            }
            "$warned" | Should -Match 'data/train\.csv -> s3://acme-datasets/mnist/train\.csv'
        }

        It 'skips files already there with the same MD5, says so with -Verbose, and still emits them' {
            $dest = Join-Path $TestDrive 'local'
            $model = Join-Path $dest 'weights/model.bin'
            (Get-Item $model).LastWriteTimeUtc = [datetime]'2001-01-01Z'
            $all = Save-WandbArtifact -Path $wandb -Name weights:latest -Destination $dest -Verbose -WarningAction SilentlyContinue 4>&1
            @($all | Where-Object { $_ -is [System.IO.FileInfo] }).Count | Should -Be 3
            ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n" | Should -Match 'model\.bin.*same size and MD5; not written again'
            (Get-Item $model).LastWriteTimeUtc.Year | Should -Be 2001
        }

        It 'replaces a file that differs only with -Force (WandbInvalidArgument for it without)' {
            $dest = Join-Path $TestDrive 'force'
            $null = New-Item -ItemType Directory -Path $dest
            Set-Content -LiteralPath (Join-Path $dest 'config.json') -Value 'mine'
            $out = Save-WandbArtifact -Path $wandb -Name weights:latest -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            @($out).Count | Should -Be 2
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
            $err[0].TargetObject | Should -BeExactly (Join-Path $dest 'config.json')
            $null = Save-WandbArtifact -Path $wandb -Name weights:latest -Destination $dest -Force -WarningAction SilentlyContinue
            (Get-FileHash (Join-Path $dest 'config.json')).Hash | Should -BeExactly (Get-StagedHash 'config.json')
        }

        It 'writes nothing with -WhatIf' {
            $dest = Join-Path $TestDrive 'whatif'
            $out = Save-WandbArtifact -Path $wandb -Name weights:latest -Destination $dest -WhatIf -WarningAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            Test-Path $dest | Should -BeFalse
        }

        It 'reports a staged copy that is gone as WandbPathNotFound for that file, and saves the rest' {
            $dest = Join-Path $TestDrive 'gone'
            $moved = Join-Path $TestDrive 'classes.txt'
            Move-Item -LiteralPath (Join-Path $staging 'weights/labels/classes.txt') -Destination $moved
            try {
                $out = Save-WandbArtifact -Path $wandb -Name weights:latest -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            }
            finally {
                Move-Item -LiteralPath $moved -Destination (Join-Path $staging 'weights/labels/classes.txt')
            }
            @($out.Name | Sort-Object) | Should -Be @('config.json', 'model.bin')
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbPathNotFound,*'
            $err[0].TargetObject | Should -BeExactly (Join-Path $staging 'weights/labels/classes.txt')
            (Get-Tree $dest) -join ',' | Should -BeExactly 'config.json,weights/model.bin'
        }

        It 'refuses manifest paths that leave the destination (../x, absolute), and saves the rest' {
            $dest = Join-Path $TestDrive 'tampered'
            $out = Save-WandbArtifact -Path $wandb -Name tampered:latest -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue
            $out.Name | Should -Be 'ok.txt'
            @($err.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Sort-Object -Unique) | Should -Be 'WandbInvalidArgument'
            @($err.TargetObject | Sort-Object) | Should -Be @('../outside.txt', '/etc/wandbrunops-absolute.txt')
            Test-Path (Join-Path $TestDrive 'outside.txt') | Should -BeFalse
            Test-Path '/etc/wandbrunops-absolute.txt' | Should -BeFalse
        }

        It 'refuses a used artifact, whose files a run folder does not hold, and goes on with the next' {
            $dest = Join-Path $TestDrive 'used'
            $used = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunUsedArtifact
            $out = @($used; Get-WandbArtifact -Path $wandb -Name weights:latest) | Save-WandbArtifact -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            @($out).Count | Should -Be 3
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbArtifactNotFound,*'
            "$($err[0])" | Should -Match 'used, not logged'
        }

        It 'refuses a -Destination that is a file' {
            $file = Join-Path $TestDrive 'a-file.txt'
            Set-Content -LiteralPath $file -Value x
            { Save-WandbArtifact -Path $wandb -Name weights:latest -Destination $file -ErrorAction Stop } | Should -Throw -ErrorId 'WandbInvalidArgument,WandbRunOps.Commands.SaveWandbArtifactCommand'
        }

        It 'reports a destination that cannot be written (a read-only file system) as an error for each file, writing nothing' -Skip:(-not $IsLinux -or (id -u) -ne '0' -or -not (Get-Command mount -ErrorAction SilentlyContinue)) {
            # Root ignores file modes, so the folder is made unwritable the one way root cannot ignore: a read-only mount.
            $readOnly = Join-Path $TestDrive 'read-only'
            $null = New-Item -ItemType Directory -Path $readOnly
            mount -t tmpfs -o ro,size=64k tmpfs $readOnly
            try {
                $out = Save-WandbArtifact -Path $wandb -Name weights:latest -Destination (Join-Path $readOnly 'model') -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                $out | Should -BeNullOrEmpty
                $err | Should -HaveCount 3
                @($err | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Select-Object -Unique) | Should -Be @('WandbInvalidArgument')
                @($err | ForEach-Object { $_.TargetObject.Substring($readOnly.Length + 1).Replace('\', '/') } | Sort-Object) | Should -Be @('model/config.json', 'model/labels/classes.txt', 'model/weights/model.bin')
                "$($err[0])" | Should -Match 'cannot be written: Read-only file system'
                (Get-Tree $readOnly) | Should -BeNullOrEmpty
            }
            finally {
                umount $readOnly
            }
        }

        It 'reports a disk that fills as an error for that file, leaving nothing partial' -Skip:(-not $IsLinux -or (id -u) -ne '0' -or -not (Get-Command mount -ErrorAction SilentlyContinue)) {
            # A 64 KiB tmpfs: config.json and classes.txt fit, the 256 KiB model.bin does not.
            $small = Join-Path $TestDrive 'small-disk'
            $null = New-Item -ItemType Directory -Path $small
            mount -t tmpfs -o size=64k tmpfs $small
            try {
                $out = Save-WandbArtifact -Path $wandb -Name weights:latest -Destination $small -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                @($out.Name | Sort-Object) | Should -Be @('classes.txt', 'config.json')
                $err | Should -HaveCount 1
                $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
                "$($err[0])" | Should -Match 'No space left on device'
                (Get-Tree $small) -join ',' | Should -BeExactly 'config.json,labels/classes.txt'
            }
            finally {
                umount $small
            }
        }
    }

    Context 'over the W&B API (manifest and direct URLs the loopback server serves itself)' {
        It 'saves model:production (fin0002b''s model) by name, verified, and skips it when run again' {
            $dest = Join-Path $TestDrive 'production'
            $artifact = Get-WandbArtifact @api -Name model:production
            $artifact.RunId | Should -Be 'fin0002b'
            $out = @($artifact | Save-WandbArtifact -Destination $dest -BaseUrl $server.Url -ApiKey $server.Key)
            @($out | Sort-Object Name | ForEach-Object { $_.Name + '=' + $_.Length }) | Should -Be @('config.json=412', 'model.pt=4718592')
            $again = Save-WandbArtifact @api -Name model:production -Destination $dest -Verbose 4>&1
            @($again | Where-Object { $_ -is [System.IO.FileInfo] }).Count | Should -Be 2
            @($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -match 'same size and MD5' }).Count | Should -Be 2
        }

        It 'saves an artifact piped from Get-WandbArtifact or Get-RunLoggedArtifact from the server that read it, without naming the server again' {
            $dest = Join-Path $TestDrive 'piped'
            $byName = @(Get-WandbArtifact @api -Name model:production | Save-WandbArtifact -Destination (Join-Path $dest 'by-name') -ErrorAction Stop)
            @($byName.Name | Sort-Object) | Should -Be @('config.json', 'model.pt')
            $byRun = @(Get-WandbRun @api -Id artf009i | Get-RunLoggedArtifact -Name weights | Save-WandbArtifact -Destination (Join-Path $dest 'by-run') -WarningAction SilentlyContinue -ErrorAction Stop)
            @($byRun.Name | Sort-Object) | Should -Be @('classes.txt', 'config.json', 'model.bin')
        }

        It 'downloads the same bytes a local copy gives, by full reference, and warns about the reference entry' {
            $dest = Join-Path $TestDrive 'api'
            $out = @(Save-WandbArtifact -Reference acme-ml/mnist-sweep/weights:production -BaseUrl $server.Url -ApiKey $server.Key -Destination $dest -WarningVariable warned -WarningAction SilentlyContinue)
            $out.Count | Should -Be 3
            foreach ($name in $weights) {
                (Get-FileHash (Join-Path $dest $name)).Hash | Should -BeExactly (Get-StagedHash $name) -Because $name
            }
            "$warned" | Should -Match 'data/train\.csv -> s3://'
        }

        It 'gives a malformed reference and a collection that does not exist their own errors, and saves the rest' {
            $dest = Join-Path $TestDrive 'bad-input'
            $out = Save-WandbArtifact -Reference 'a:b:c', 'acme-ml/mnist-sweep/nosuch:latest', 'acme-ml/mnist-sweep/model:production' -BaseUrl $server.Url -ApiKey $server.Key -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue
            @($out).Count | Should -Be 2
            @($err | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] + ' ' + $_.TargetObject }) | Should -Be @('WandbInvalidArgument a:b:c', 'WandbArtifactNotFound acme-ml/mnist-sweep/nosuch:latest')
        }

        It 'gives a file URL answering <Status> as that file''s <Id>, leaves nothing of it, and saves the rest' -TestCases @(
            @{ Status = 403; Id = 'WandbPermissionDenied' }
            @{ Status = 404; Id = 'WandbPathNotFound' }
            @{ Status = 500; Id = 'WandbConnectionFailed' }
        ) {
            $dest = Join-Path $TestDrive "status$Status"
            Add-FileFault @{ kind = 'status'; status = $Status; body = '<Error/>'; contentType = 'application/xml'; times = 10; variablesContain = 'model.bin' }
            $out = Save-WandbArtifact @api -Name weights:latest -Destination $dest -MaximumRetryCount 2 -RetryIntervalSec 0.01 -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $null = Invoke-RestMethod -Method Delete -Uri "$($server.Url)/_fake/faults"
            @($out).Count | Should -Be 2
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $err[0].TargetObject | Should -BeExactly 'acme-ml/mnist-sweep/weights:v0/weights/model.bin'
            (Get-Tree $dest) -join ',' | Should -BeExactly 'config.json,labels/classes.txt'
        }

        It 'gives bytes that fail their digest as WandbDigestMismatch for that file, never left under its name' {
            $dest = Join-Path $TestDrive 'corrupt'
            Add-FileFault @{ kind = 'corrupt'; times = 1; variablesContain = 'model.bin' }
            $out = Save-WandbArtifact @api -Name weights:latest -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            @($out).Count | Should -Be 2
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbDigestMismatch,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $err[0].TargetObject | Should -BeExactly (Join-Path $dest 'weights/model.bin')
            (Get-Tree $dest) -join ',' | Should -BeExactly 'config.json,labels/classes.txt'

            # Run again: the verified files are skipped and the bad one is fetched anew.
            $null = Save-WandbArtifact @api -Name weights:latest -Destination $dest -WarningAction SilentlyContinue
            (Get-FileHash (Join-Path $dest 'weights/model.bin')).Hash | Should -BeExactly (Get-StagedHash 'weights/model.bin')
        }

        It 'gives a body cut short as WandbDigestMismatch, and retries a download cut mid-way to the whole file' {
            $dest = Join-Path $TestDrive 'cut'
            Add-FileFault @{ kind = 'truncated-json'; times = 1; variablesContain = 'model.bin' }
            $null = Save-WandbArtifact @api -Name weights:latest -Destination $dest -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbDigestMismatch,*'
            (Get-Tree $dest) -join ',' | Should -BeExactly 'config.json,labels/classes.txt'

            Add-FileFault @{ kind = 'truncated'; times = 1; variablesContain = 'model.bin' }
            $null = Save-WandbArtifact @api -Name weights:latest -Destination $dest -RetryIntervalSec 0.01 -WarningAction SilentlyContinue
            (Get-FileHash (Join-Path $dest 'weights/model.bin')).Hash | Should -BeExactly (Get-StagedHash 'weights/model.bin')
        }
    }
}
